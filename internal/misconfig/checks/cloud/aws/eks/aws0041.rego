# METADATA
# title: "EKS cluster should not have open CIDR range for public access"
# description: "A public API endpoint open to every address (the default public_access_cidrs) can be reached from the whole internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0041
# custom:
#   id: AWS-0041
#   avd_id: AVD-AWS-0041
#   provider: aws
#   service: eks
#   severity: CRITICAL
#   recommended_actions: "Restrict 'public_access_cidrs' to the addresses that need the API, or disable public access."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.eks.AWS0041

deny contains res if {
	some cluster in input.aws.eks.clusters
	cluster.publicaccessenabled.value == true
	some cidr in cluster.publicaccesscidrs
	endswith(cidr.value, "/0")
	res := result.new(sprintf("Cluster allows access from a public CIDR: %s.", [cidr.value]), cidr)
}
