# METADATA
# title: "EKS Clusters should have cluster control plane logging turned on"
# description: "Control plane logs (API, audit, authenticator, controller manager, scheduler) are off by default; without them changes to the cluster cannot be traced."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0038
# custom:
#   id: AWS-0038
#   avd_id: AVD-AWS-0038
#   provider: aws
#   service: eks
#   severity: MEDIUM
#   recommended_actions: "List all five log types in 'enabled_cluster_log_types'."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.eks.AWS0038

log_types := ["api", "audit", "authenticator", "controllermanager", "scheduler"]

deny contains res if {
	some cluster in input.aws.eks.clusters
	some t in log_types
	cluster.logging[t].value == false
	res := result.new(sprintf("Control plane %s logging is not enabled.", [t]), cluster.logging[t])
}
