# METADATA
# title: "Sensitive host path mounted"
# description: "Mounting the host's root or a system folder (/, /etc, /proc, /sys, /dev, /boot, /root, /run, /var/run, /var/lib/docker) lets the container read or change the host's configuration, processes or devices. Files below them (/etc/localtime) are not flagged."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/storage/bind-mounts/
# custom:
#   id: TRL-DC-0007
#   severity: HIGH
#   recommended_actions: "Mount only the files or application folders the service needs, read-only where possible."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC007

import data.lib.compose

sensitive := {"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/run", "/var/run", "/var/lib/docker"}

deny contains res if {
	some name, svc in compose.services
	some mount in compose.host_mounts(svc)
	compose.clean_path(mount.source) in sensitive
	res := result.new(sprintf("%s mounts the host path %s", [compose.describe(name), mount.source]), mount.cause)
}
