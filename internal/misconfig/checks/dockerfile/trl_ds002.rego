# METADATA
# title: "ADD from a remote URL"
# description: "'ADD <url>' downloads at build time whatever the server sends, unverified, into the image."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#add---checksum
# custom:
#   id: TRL-DS-0002
#   severity: MEDIUM
#   recommended_actions: "Pin the download with 'ADD --checksum=sha256:...', or download and verify it in a RUN (or a build stage)."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.TRLDS002

import data.lib.docker
import data.lib.sh

remote(src) if regex.match(`^(?i)(https?|ftp)://`, src)

remote(src) if regex.match(`^git@`, src)

deny contains res if {
	some instruction in docker.add
	count(instruction.Value) >= 2
	some src in array.slice(instruction.Value, 0, count(instruction.Value) - 1)
	remote(src)
	not docker.flag_value(instruction, "checksum")
	res := result.new(sprintf("ADD downloads '%s' without '--checksum'", [src]), instruction)
}
