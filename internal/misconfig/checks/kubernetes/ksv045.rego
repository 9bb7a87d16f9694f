# METADATA
# title: "No wildcard verb roles"
# description: "A rule that grants the verb '*' on a sensitive resource grants every current and future verb on it, escalate and impersonate included."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0045
#   avd_id: AVD-KSV-0045
#   severity: CRITICAL
#   recommended_actions: "List the verbs the rule needs instead of '*'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV045

import data.lib.rbac

sensitive := {"secrets", "pods", "deployments", "daemonsets", "statefulsets", "replicationcontrollers", "replicasets", "cronjobs", "jobs", "roles", "clusterroles", "rolebindings", "clusterrolebindings", "users", "groups"}

deny contains res if {
	some rule in rbac.rules
	"*" in rbac.verbs(rule)
	rbac.names_any_resource(rule, sensitive)
	msg := sprintf("%s should not grant the verb '*' on %s", [rbac.describe, concat(", ", rbac.named(rule, sensitive))])
	res := result.new(msg, rule)
}
