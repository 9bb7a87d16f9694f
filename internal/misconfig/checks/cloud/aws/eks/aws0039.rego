# METADATA
# title: "EKS should have the encryption of secrets enabled"
# description: "Without an encryption_config covering secrets, Kubernetes secrets are not envelope-encrypted with a key you control."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0039
# custom:
#   id: AWS-0039
#   avd_id: AVD-AWS-0039
#   provider: aws
#   service: eks
#   severity: HIGH
#   recommended_actions: "Add an encryption_config with resources = [\"secrets\"] and a provider key_arn."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.eks.AWS0039

deny contains res if {
	some cluster in input.aws.eks.clusters
	cluster.encryption.secrets.value == false
	res := result.new("Cluster does not have secret encryption enabled.", cluster.encryption.secrets)
}

deny contains res if {
	some cluster in input.aws.eks.clusters
	cluster.encryption.secrets.value == true
	cluster.encryption.kmskeyid.value == ""
	res := result.new("Cluster encryption requires a KMS key ID, which is missing.", cluster.encryption.kmskeyid)
}
