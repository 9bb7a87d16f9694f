# METADATA
# title: "'apk add' is missing '--no-cache'"
# description: "Without '--no-cache' apk keeps the package index in /var/cache/apk, and it stays in the layer."
# scope: package
# related_resources:
#   - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache
# custom:
#   id: DS-0025
#   avd_id: AVD-DS-0025
#   severity: HIGH
#   recommended_actions: "Add '--no-cache' to 'apk add'."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS025

import data.lib.docker
import data.lib.sh

# A RUN that mounts a build cache on apk's cache keeps it out of the layer.
cache_mount(instruction) if {
	some f in instruction.Flags
	startswith(f, "--mount=")
	contains(f, "type=cache")
	contains(f, "/var/cache/apk")
}

deny contains res if {
	some instruction in docker.run
	not cache_mount(instruction)
	some c in sh.run_commands(instruction)
	sh.program(c) == "apk"
	sh.subcommand(c) == "add"
	not sh.has_word(c, {"--no-cache"})
	res := result.new(sprintf("'--no-cache' is missed: %s", [c]), instruction)
}
