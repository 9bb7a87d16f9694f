# METADATA
# title: "Runtime/Default AppArmor profile not set"
# description: "The baseline Pod Security Standard allows only the runtime's default AppArmor profile or a profile loaded on the node (Localhost); an Unconfined or unknown profile lifts the AppArmor confinement."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0002
#   avd_id: AVD-KSV-0002
#   severity: LOW
#   recommended_actions: "Leave the AppArmor profile unset, or set 'securityContext.appArmorProfile.type' (or the container.apparmor.security.beta.kubernetes.io annotation) to RuntimeDefault / runtime/default or Localhost / localhost/<profile>."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV002

import data.lib.kubernetes

allowed_types := {"RuntimeDefault", "Localhost"}

allowed_annotation(value) if value == "runtime/default"

allowed_annotation(value) if startswith(value, "localhost/")

deny contains res if {
	type := kubernetes.pod_security_context.appArmorProfile.type
	type != null
	not type in allowed_types
	msg := sprintf("%s should not set 'securityContext.appArmorProfile.type' to '%v' (RuntimeDefault or Localhost)", [kubernetes.describe_workload, type])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	type := kubernetes.container_security_context(container).appArmorProfile.type
	type != null
	not type in allowed_types
	msg := sprintf("%s should not set 'securityContext.appArmorProfile.type' to '%v' (RuntimeDefault or Localhost)", [kubernetes.describe(container), type])
	res := result.new(msg, container)
}

deny contains res if {
	some container in kubernetes.containers
	value := kubernetes.container_annotation("container.apparmor.security.beta.kubernetes.io", container)
	not allowed_annotation(value)
	msg := sprintf("%s should not have the AppArmor annotation '%v' (runtime/default or localhost/<profile>)", [kubernetes.describe(container), value])
	res := result.new(msg, container)
}
