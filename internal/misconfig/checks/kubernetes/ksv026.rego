# METADATA
# title: "Unsafe sysctl options set"
# description: "Only sysctls namespaced to the pod and isolated from other pods are safe; the others can disable security mechanisms or change the whole node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0026
#   avd_id: AVD-KSV-0026
#   severity: MEDIUM
#   recommended_actions: "Set only safe sysctls in 'securityContext.sysctls' (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem)."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV026

import data.lib.kubernetes

# The safe set of the baseline profile (Kubernetes 1.32).
safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

deny contains res if {
	unsafe := {sprintf("%v", [sysctl.name]) |
		some sysctl in kubernetes.pod_security_context.sysctls
		is_object(sysctl)
		not sysctl.name in safe_sysctls
	}
	count(unsafe) > 0
	msg := sprintf("%s should not set the unsafe sysctls %v", [kubernetes.describe_workload, sort(unsafe)])
	res := result.new(msg, kubernetes.pod_spec)
}
