# METADATA
# title: "Do not allow attaching to shell on pods"
# description: "Attaching to a running container gives its console, and with it the container's access and service account."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/rbac-good-practices/
# custom:
#   id: KSV-0054
#   avd_id: AVD-KSV-0054
#   severity: HIGH
#   recommended_actions: "Do not combine 'create' on 'pods/attach' with 'get' on 'pods'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV054

import data.lib.rbac

attaches(rule) if {
	rbac.in_group(rule, "")
	rbac.names_resource(rule, "pods/attach")
	rbac.allows_verb(rule, "create")
}

gets_pods if {
	some rule in rbac.rules
	rbac.in_group(rule, "")
	rbac.names_resource(rule, "pods")
	rbac.allows_verb(rule, "get")
}

deny contains res if {
	gets_pods
	some rule in rbac.rules
	attaches(rule)
	msg := sprintf("%s should not allow attaching to pods ('create' on pods/attach with 'get' on pods)", [rbac.describe])
	res := result.new(msg, rule)
}
