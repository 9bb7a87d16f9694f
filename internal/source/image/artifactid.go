package image

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/google/go-containerregistry/pkg/name"
)

// Reference returns the image reference a scan of artifactName reports
// (Trivy's Metadata.Reference): the repo tag or digest equal to or
// matching artifactName, else the first repo tag, else the first repo
// digest; "" when the image records none.
func Reference(artifactName string, repoTags, repoDigests []string) string {
	all := append(append([]string(nil), repoTags...), repoDigests...)
	for _, r := range all {
		if r == artifactName {
			return r
		}
	}
	for _, r := range all {
		if refMatches(r, artifactName) {
			return r
		}
	}
	if len(all) > 0 {
		return all[0]
	}
	return ""
}

// ArtifactID identifies an image across scans as Trivy does: the SHA-256
// of "<image ID>:<registry>/<repository>" (tags and digests left out, so
// every tag of one image in one repository has the same ID), or the image
// ID itself when there is no parsable reference.
func ArtifactID(imageID, reference string) string {
	if imageID == "" {
		return ""
	}
	ref, err := name.ParseReference(reference)
	if reference == "" || err != nil {
		return imageID
	}
	sum := sha256.Sum256([]byte(imageID + ":" + ref.Context().Name()))
	return "sha256:" + hex.EncodeToString(sum[:])
}
