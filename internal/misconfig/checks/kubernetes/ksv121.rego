# METADATA
# title: "Kubernetes resource with disallowed volumes mounted"
# description: "Mounting the node's root, /boot, /dev, /etc, /lib, /proc, /sys, /usr or /var/lib/docker exposes its system files, devices or container runtime to the pod."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
# custom:
#   id: KSV-0121
#   avd_id: AVD-KSV-0121
#   severity: HIGH
#   recommended_actions: "Do not mount /, /boot, /dev, /etc, /lib, /proc, /sys, /usr or /var/lib/docker from the node as hostPath volumes."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV121

import data.lib.kubernetes

disallowed := {"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/var/lib/docker"}

deny contains res if {
	some volume in kubernetes.volumes
	path := kubernetes.host_path(volume)
	path in disallowed
	msg := sprintf("%s should not mount the host path '%s' (volume '%s')", [kubernetes.describe_workload, path, object.get(volume, "name", "")])
	res := result.new(msg, volume)
}
