# METADATA
# title: "WORKDIR should not be mounted on system dirs"
# description: "A WORKDIR in /proc, /sys, /dev, /boot and the like writes the application's files where the kernel and the host expose themselves."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#workdir
# custom:
#   id: DS-0030
#   avd_id: AVD-DS-0030
#   severity: HIGH
#   recommended_actions: "Use an application directory (e.g. /app) as WORKDIR."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS030

import data.lib.docker
import data.lib.sh

system_dirs := {"/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found"}

deny contains res if {
	some instruction in docker.workdir
	path := trim(instruction.Value[0], `"'`)
	some dir in system_dirs
	in_dir(path, dir)
	res := result.new(sprintf("WORKDIR path '%s' should not mount system directories", [instruction.Value[0]]), instruction)
}

in_dir(path, dir) if trim_right(path, "/") == dir

in_dir(path, dir) if startswith(path, concat("", [dir, "/"]))
