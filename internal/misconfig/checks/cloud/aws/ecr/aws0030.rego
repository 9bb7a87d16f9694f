# METADATA
# title: "ECR repository has image scans disabled."
# description: "Without scan on push, vulnerable packages in pushed images go unreported until someone scans them by hand."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0030
# custom:
#   id: AWS-0030
#   avd_id: AVD-AWS-0030
#   provider: aws
#   service: ecr
#   severity: HIGH
#   recommended_actions: "Set 'scan_on_push = true' in the repository's image_scanning_configuration."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ecr.AWS0030

deny contains res if {
	some repo in input.aws.ecr.repositories
	repo.imagescanning.scanonpush.value == false
	res := result.new("Image scanning is not enabled.", repo.imagescanning.scanonpush)
}
