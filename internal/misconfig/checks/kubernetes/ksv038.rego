# METADATA
# title: "Selector usage in network policies"
# description: "A network policy restricts traffic only for the pods its podSelector selects, from and to the peers its rules select; one without selectors restricts nothing predictable."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/services-networking/network-policies/
# custom:
#   id: KSV-0038
#   avd_id: AVD-KSV-0038
#   severity: MEDIUM
#   recommended_actions: "Set 'spec.podSelector' (an empty selector selects every pod of the namespace) and select peers with podSelector or namespaceSelector."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV038

import data.lib.kubernetes

spec := input.spec if is_object(input.spec)

else := {}

has_selector if "podSelector" in object.keys(spec)

has_selector if "namespaceSelector" in object.keys(spec)

has_selector if {
	some field, peers in {"ingress": "from", "egress": "to"}
	some rule in object.get(spec, field, [])
	some peer in object.get(rule, peers, [])
	some key in {"podSelector", "namespaceSelector"}
	key in object.keys(peer)
}

cause := input.spec if is_object(input.spec)

else := input

deny contains res if {
	input.kind == "NetworkPolicy"
	not has_selector
	msg := sprintf("%s should select pods with 'spec.podSelector' or peers with podSelector/namespaceSelector", [kubernetes.describe_workload])
	res := result.new(msg, cause)
}
