# METADATA
# title: "hostPath volume mounted with docker.sock"
# description: "The Docker socket of the node lets whoever can write to it start privileged containers there: mounting it is root on the node."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: KSV-0006
#   avd_id: AVD-KSV-0006
#   severity: HIGH
#   recommended_actions: "Do not mount /var/run/docker.sock (or /run/docker.sock) as a hostPath volume."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV006

import data.lib.kubernetes

sockets := {"/var/run/docker.sock", "/run/docker.sock"}

deny contains res if {
	some volume in kubernetes.volumes
	path := kubernetes.host_path(volume)
	path in sockets
	msg := sprintf("%s should not mount the Docker socket '%s' (volume '%s')", [kubernetes.describe_workload, path, object.get(volume, "name", "")])
	res := result.new(msg, volume)
}
