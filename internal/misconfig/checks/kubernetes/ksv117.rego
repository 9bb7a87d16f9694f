# METADATA
# title: "Prevent binding to privileged ports"
# description: "Ports below 1024 are privileged: a container listening on one needs root or NET_BIND_SERVICE; serving on a high port avoids granting either."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: KSV-0117
#   avd_id: AVD-KSV-0117
#   severity: HIGH
#   recommended_actions: "Listen on container ports of 1024 or more (map a Service port to them)."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV117

import data.lib.kubernetes

deny contains res if {
	some container in kubernetes.containers
	ports := {port.containerPort |
		some port in container.ports
		is_object(port)
		is_number(port.containerPort)
		port.containerPort < 1024
	}
	count(ports) > 0
	msg := sprintf("%s should not use the privileged container ports %v", [kubernetes.describe(container), sort(ports)])
	res := result.new(msg, container)
}
