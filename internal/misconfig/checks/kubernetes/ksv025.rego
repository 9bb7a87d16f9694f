# METADATA
# title: "SELinux custom options set"
# description: "The baseline Pod Security Standard allows only the container SELinux types (container_t, container_init_t, container_kvm_t, container_engine_t) and no custom user or role: other labels can lift the SELinux confinement."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0025
#   avd_id: AVD-KSV-0025
#   severity: MEDIUM
#   recommended_actions: "Leave 'securityContext.seLinuxOptions' unset, or set only 'type' to one of the container types, in the pod and in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV025

import data.lib.kubernetes

allowed_types := {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

problems(options) := {sprintf("%s '%v'", [key, value]) |
	some key in ["user", "role"]
	value := options[key]
	value != null
	value != ""
} | {sprintf("type '%v'", [type]) |
	type := options.type
	type != null
	not type in allowed_types
}

deny contains res if {
	bad := problems(kubernetes.pod_security_context.seLinuxOptions)
	count(bad) > 0
	msg := sprintf("%s should not set the SELinux options %s", [kubernetes.describe_workload, concat(", ", sort(bad))])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	bad := problems(kubernetes.container_security_context(container).seLinuxOptions)
	count(bad) > 0
	msg := sprintf("%s should not set the SELinux options %s", [kubernetes.describe(container), concat(", ", sort(bad))])
	res := result.new(msg, container)
}
