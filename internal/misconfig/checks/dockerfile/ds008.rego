# METADATA
# title: "Exposed port out of range"
# description: "Ports are 16-bit numbers: an EXPOSE of a port above 65535 is a typo that exposes nothing useful."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#expose
# custom:
#   id: DS-0008
#   avd_id: AVD-DS-0008
#   severity: CRITICAL
#   recommended_actions: "Expose ports between 0 and 65535."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS008

import data.lib.docker
import data.lib.sh

# The numbers of an EXPOSE value: "80", "80/tcp", "8000-8010/udp";
# variables ("$PORT") are skipped.
numbers(value) := [to_number(p) |
	some p in split(split(value, "/")[0], "-")
	regex.match(`^[0-9]+$`, p)
]

deny contains res if {
	some instruction in docker.expose
	some value in instruction.Value
	some n in numbers(value)
	n > 65535
	res := result.new(sprintf("'EXPOSE' contains port which is out of range [0, 65535]: %s", [value]), instruction)
}
