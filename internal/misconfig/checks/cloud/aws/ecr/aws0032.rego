# METADATA
# title: "ECR repository policy must block public access"
# description: "A repository policy that allows any principal lets anyone pull (or push) the images of the repository."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/aws-0032
# custom:
#   id: AWS-0032
#   avd_id: AVD-AWS-0032
#   provider: aws
#   service: ecr
#   severity: HIGH
#   recommended_actions: "Name the accounts or roles that need access in the policy instead of \"*\"."
#   input:
#     selector:
#       - type: cloud
package builtin.aws.ecr.AWS0032

public_principal(p) if p == "*"

public_principal(p) if {
	is_object(p)
	some v in object.get(p, "AWS", [])
	v == "*"
}

public_principal(p) if p.AWS == "*"

statements(doc) := doc.Statement if is_array(doc.Statement)

statements(doc) := [doc.Statement] if is_object(doc.Statement)

deny contains res if {
	some repo in input.aws.ecr.repositories
	some policy in repo.policies
	is_string(policy.document.value)
	doc := json.unmarshal(policy.document.value)
	some statement in statements(doc)
	statement.Effect == "Allow"
	public_principal(statement.Principal)
	res := result.new("Repository policy allows access to any principal.", policy.document)
}
