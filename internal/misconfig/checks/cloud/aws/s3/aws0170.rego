# METADATA
# title: "Buckets should have MFA deletion protection enabled."
# description: "With MFA delete, changing a bucket's versioning state or deleting an object version needs a second factor, so stolen credentials alone cannot destroy the data. CloudFormation cannot set it: templates are not judged."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0170
# custom:
#   id: AWS-0170
#   avd_id: AVD-AWS-0170
#   provider: aws
#   service: s3
#   severity: LOW
#   recommended_actions: "Enable MFA delete in the bucket's versioning configuration ('mfa_delete')."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.s3.AWS0170

deny contains res if {
	some bucket in input.aws.s3.buckets
	bucket.versioning.mfadelete.value == false
	res := result.new("Bucket does not have MFA deletion protection enabled.", bucket.versioning.mfadelete)
}
