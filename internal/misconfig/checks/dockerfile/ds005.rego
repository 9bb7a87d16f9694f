# METADATA
# title: "ADD instead of COPY"
# description: "ADD fetches URLs and unpacks archives as side effects; for plain files COPY says what it does and does nothing more."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0005
#   avd_id: AVD-DS-0005
#   severity: LOW
#   recommended_actions: "Use COPY unless the source is a local tar archive to unpack."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS005

import data.lib.docker
import data.lib.sh

archive_suffixes := [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"]

archive(src) if {
	some suffix in archive_suffixes
	endswith(lower(src), suffix)
}

# base_rootfs: the classic builder records a base image's "ADD
# rootfs.tar.xz /" as "ADD file:<sha256> in /" (a Dockerfile rebuilt from
# an image's history): the content hash hides the archive's name, and the
# only thing ADD'ed to / of a base image is its root filesystem archive.
base_rootfs(instruction, src) if {
	regex.match(`^file:[0-9a-f]{64}$`, src)
	instruction.Value[count(instruction.Value) - 1] == "/"
}

deny contains res if {
	some instruction in docker.add
	count(instruction.Value) >= 2
	srcs := array.slice(instruction.Value, 0, count(instruction.Value) - 1)
	some src in srcs
	not archive(src)
	not base_rootfs(instruction, src)
	args := concat(" ", instruction.Value)
	res := result.new(sprintf("Consider using 'COPY %s' command instead of 'ADD %s'", [args, args]), instruction)
}
