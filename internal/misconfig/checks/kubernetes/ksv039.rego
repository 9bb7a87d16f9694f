# METADATA
# title: "limit range usage"
# description: "A LimitRange should give containers a default request and limit and bound them with a minimum and a maximum, so that no pod of the namespace runs unbounded."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/policy/limit-range/
# custom:
#   id: KSV-0039
#   avd_id: AVD-KSV-0039
#   severity: LOW
#   recommended_actions: "Give a 'spec.limits' entry a 'type', 'default', 'defaultRequest', 'min' and 'max'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV039

import data.lib.kubernetes

# Only a LimitRange document can be judged: whether a namespace has one
# at all needs the other files of the namespace, which one document
# does not give.
complete_limit if {
	some limit in input.spec.limits
	is_object(limit)
	every field in ["type", "max", "min", "default", "defaultRequest"] {
		field in object.keys(limit)
	}
}

cause := input.spec if is_object(input.spec)

else := input

deny contains res if {
	input.kind == "LimitRange"
	not complete_limit
	msg := sprintf("%s should set a type, default, defaultRequest, min and max in a 'spec.limits' entry", [kubernetes.describe_workload])
	res := result.new(msg, cause)
}
