# METADATA
# title: "ECR images tags shouldn't be mutable."
# description: "A mutable tag can be pointed at a different image after it was reviewed, so what runs is not what was checked."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0031
# custom:
#   id: AWS-0031
#   avd_id: AVD-AWS-0031
#   provider: aws
#   service: ecr
#   severity: HIGH
#   recommended_actions: "Set 'image_tag_mutability = \"IMMUTABLE\"' on the repository."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ecr.AWS0031

deny contains res if {
	some repo in input.aws.ecr.repositories
	repo.imagetagsimmutable.value == false
	res := result.new("Repository tags are mutable.", repo.imagetagsimmutable)
}
