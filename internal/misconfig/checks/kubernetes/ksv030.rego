# METADATA
# title: "Runtime/Default Seccomp profile not set"
# description: "The restricted Pod Security Standard requires a seccomp profile, RuntimeDefault or Localhost, on the pod or on every container; without one the container's system calls are not filtered."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0030
#   avd_id: AVD-KSV-0030
#   severity: LOW
#   recommended_actions: "Set 'securityContext.seccompProfile.type' to RuntimeDefault (or Localhost) in the pod, or in every container."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV030

import data.lib.kubernetes

allowed := {"RuntimeDefault", "Localhost"}

deny contains res if {
	type := kubernetes.pod_seccomp_type
	not type in allowed
	msg := sprintf("%s should set the seccomp profile type to RuntimeDefault or Localhost, not '%v'", [kubernetes.describe_workload, type])
	res := result.new(msg, kubernetes.pod_spec)
}

deny contains res if {
	some container in kubernetes.containers
	type := kubernetes.container_seccomp_type(container)
	not type in allowed
	msg := sprintf("%s should set the seccomp profile type to RuntimeDefault or Localhost, not '%v'", [kubernetes.describe(container), type])
	res := result.new(msg, container)
}

# Neither the container nor the pod sets a profile.
deny contains res if {
	not kubernetes.pod_seccomp_type
	some container in kubernetes.containers
	not kubernetes.container_seccomp_type(container)
	msg := sprintf("%s should set 'securityContext.seccompProfile.type' to RuntimeDefault (its own or the pod's)", [kubernetes.describe(container)])
	res := result.new(msg, container)
}
