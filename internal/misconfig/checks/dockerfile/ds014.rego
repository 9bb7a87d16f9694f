# METADATA
# title: "RUN using 'wget' and 'curl'"
# description: "curl and wget do the same job; using both needs both in the image and two tools to patch."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#run
# custom:
#   id: DS-0014
#   avd_id: AVD-DS-0014
#   severity: LOW
#   recommended_actions: "Pick one of 'curl' and 'wget'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS014

import data.lib.docker
import data.lib.sh

uses(tool) := [instruction |
	some instruction in docker.run
	some c in sh.run_commands(instruction)
	sh.program(c) == tool
]

deny contains res if {
	count(uses("curl")) > 0
	some instruction in uses("wget")
	res := result.new("Shouldn't use both curl and wget", instruction)
}
