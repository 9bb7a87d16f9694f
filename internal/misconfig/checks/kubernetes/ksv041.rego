# METADATA
# title: "Manage secrets"
# description: "A ClusterRole with access to secrets reads or changes them in every namespace, service account tokens of highly privileged accounts included: close to cluster-admin."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0041
#   avd_id: AVD-KSV-0041
#   severity: CRITICAL
#   recommended_actions: "Remove 'secrets' from the resources of the ClusterRole's rules; grant access to named secrets in a namespaced Role if needed."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV041

import data.lib.rbac

resources := {"secrets"}

verbs := rbac.manage_verbs

deny contains res if {
	rbac.is_cluster_role
	some rule in rbac.rules
	rbac.names_any_resource(rule, resources)
	rbac.allows_any_verb(rule, verbs)
	msg := sprintf("%s should not grant access to secrets (resources %s, verbs %s)", [rbac.describe, concat(", ", rbac.named(rule, resources)), rbac.describe_verbs(rbac.granted(rule, verbs))])
	res := result.new(msg, rule)
}
