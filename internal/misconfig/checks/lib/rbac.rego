# Helpers over RBAC resources (one Role, ClusterRole, RoleBinding or
# ClusterRoleBinding; see docs/misconfig.md). Written for trawl.
#
# Wildcards: a rule's verb "*" grants every verb, so allows_verb and
# allows_any_verb count it. A resource "*" is not expanded by
# names_resource: the checks about one kind of resource flag the rules
# that name it, and the wildcard-resource checks (KSV-0044, KSV-0046,
# KSV-0112) flag "*" itself, so a "*" rule is reported once for what it
# is rather than once per resource.
package lib.rbac

role_kinds := {"Role", "ClusterRole"}

binding_kinds := {"RoleBinding", "ClusterRoleBinding"}

is_role if input.kind in role_kinds

is_cluster_role if input.kind == "ClusterRole"

is_namespaced_role if input.kind == "Role"

is_binding if input.kind in binding_kinds

kind := input.kind

# name is the resource's name ("" when it has none).
default name := ""

name := input.metadata.name if is_string(input.metadata.name)

# rules are the rule objects of a Role or ClusterRole (entries that are
# not objects are skipped).
rules contains rule if {
	is_role
	some rule in input.rules
	is_object(rule)
}

# strings(rule, field) is the set of strings of a list field of a rule
# (empty when the field is absent or not a list).
strings(rule, field) := {s |
	list := object.get(rule, field, [])
	is_array(list)
	some s in list
	is_string(s)
}

verbs(rule) := strings(rule, "verbs")

resources(rule) := strings(rule, "resources")

api_groups(rule) := strings(rule, "apiGroups")

resource_names(rule) := strings(rule, "resourceNames")

# allows_verb(rule, verb): the rule grants verb, by name or by "*".
allows_verb(rule, verb) if verb in verbs(rule)

allows_verb(rule, _) if "*" in verbs(rule)

# allows_any_verb(rule, vs): the rule grants one of the verbs vs.
allows_any_verb(rule, vs) if {
	some verb in vs
	allows_verb(rule, verb)
}

# granted(rule, vs) are the verbs of vs the rule grants, sorted ("*"
# stands for all of them).
granted(rule, vs) := sort([v | some v in vs; allows_verb(rule, v)])

# names_resource(rule, resource): the rule names resource explicitly.
names_resource(rule, resource) if resource in resources(rule)

# names_any_resource(rule, rs): the rule names one of the resources rs.
names_any_resource(rule, rs) if {
	some r in rs
	names_resource(rule, r)
}

# named(rule, rs) are the resources of rs the rule names, sorted.
named(rule, rs) := sort([r | some r in rs; names_resource(rule, r)])

# in_group(rule, group): the rule applies to the API group group ("" is
# the core group), by name or by "*". A rule without apiGroups is
# treated as the core group, as the API server defaults it.
in_group(rule, group) if group in api_groups(rule)

in_group(rule, _) if "*" in api_groups(rule)

in_group(rule, "") if count(api_groups(rule)) == 0

# unrestricted(rule): the rule is not limited to named objects (no
# resourceNames, or "*" among them).
unrestricted(rule) if count(resource_names(rule)) == 0

unrestricted(rule) if "*" in resource_names(rule)

# Verbs that change objects; "impersonate", "bind" and "escalate" are
# special verbs the checks name where they matter.
write_verbs := {"create", "update", "patch", "delete", "deletecollection"}

read_verbs := {"get", "list", "watch"}

# manage_verbs: any access at all.
manage_verbs := read_verbs | write_verbs

# describe names the resource in messages: "ClusterRole 'admin'".
describe := sprintf("%s '%s'", [kind, name])

# describe_verbs renders a sorted verb list for messages.
describe_verbs(vs) := concat(", ", vs)
