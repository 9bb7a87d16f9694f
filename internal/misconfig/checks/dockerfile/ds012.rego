# METADATA
# title: "Duplicate aliases defined in different FROMs"
# description: "Two stages with the same name make '--from' and 'FROM <name>' ambiguous; the builder refuses the file."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/multi-stage/
# custom:
#   id: DS-0012
#   avd_id: AVD-DS-0012
#   severity: CRITICAL
#   recommended_actions: "Give each stage its own name."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS012

import data.lib.docker
import data.lib.sh

deny contains res if {
	some j, alias in docker.stage_alias
	some i, other in docker.stage_alias
	i < j
	alias == other
	res := result.new(sprintf("Duplicate aliases '%s' are found in different FROMs", [alias]), input.Stages[j].Commands[0])
}
