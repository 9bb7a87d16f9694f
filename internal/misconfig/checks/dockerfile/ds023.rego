# METADATA
# title: "Multiple HEALTHCHECK defined"
# description: "Only the last HEALTHCHECK of a stage takes effect; the earlier ones mislead the reader."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#healthcheck
# custom:
#   id: DS-0023
#   avd_id: AVD-DS-0023
#   severity: MEDIUM
#   recommended_actions: "Keep one HEALTHCHECK per stage."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS023

import data.lib.docker
import data.lib.sh

deny contains res if {
	some stage in input.Stages
	checks := [instruction | some instruction in stage.Commands; instruction.Cmd == "healthcheck"]
	count(checks) > 1
	some i, instruction in checks
	i > 0
	res := result.new(sprintf("There are %d duplicate HEALTHCHECK instructions in stage '%s'", [count(checks), stage.Name]), instruction)
}
