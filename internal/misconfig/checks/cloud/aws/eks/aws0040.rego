# METADATA
# title: "EKS Clusters should have the public access disabled"
# description: "A cluster whose API endpoint is public can be reached, and attacked, from the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0040
# custom:
#   id: AWS-0040
#   avd_id: AVD-AWS-0040
#   provider: aws
#   service: eks
#   severity: CRITICAL
#   recommended_actions: "Set 'endpoint_public_access = false' in the cluster's vpc_config."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.eks.AWS0040

deny contains res if {
	some cluster in input.aws.eks.clusters
	cluster.publicaccessenabled.value == true
	res := result.new("Public cluster access is enabled.", cluster.publicaccessenabled)
}
