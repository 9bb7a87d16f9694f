# METADATA
# title: "No wildcard verb and resource roles"
# description: "A rule with '*' API groups, resources and verbs grants everything: it is cluster-admin in a ClusterRole and namespace-admin in a Role."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0044
#   avd_id: AVD-KSV-0044
#   severity: CRITICAL
#   recommended_actions: "List the API groups, resources and verbs the rule needs instead of '*'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV044

import data.lib.rbac

deny contains res if {
	some rule in rbac.rules
	"*" in rbac.api_groups(rule)
	"*" in rbac.resources(rule)
	"*" in rbac.verbs(rule)
	msg := sprintf("%s should not grant every verb on every resource of every API group", [rbac.describe])
	res := result.new(msg, rule)
}
