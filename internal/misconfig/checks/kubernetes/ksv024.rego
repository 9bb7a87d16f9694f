# METADATA
# title: "Access to host ports"
# description: "A host port binds the container to a port of the node itself, bypassing network policies and tying the pod to nodes where the port is free."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0024
#   avd_id: AVD-KSV-0024
#   severity: HIGH
#   recommended_actions: "Remove 'ports[*].hostPort' (or set it to 0) and expose the container through a Service."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV024

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	ports := {port.hostPort |
		some port in container.ports
		is_object(port)
		port.hostPort != null
		port.hostPort != 0
	}
	count(ports) > 0
	msg := sprintf("%s should not set host ports %v", [kubernetes.describe(container), sort(ports)])
	res := result.new(msg, container)
}
