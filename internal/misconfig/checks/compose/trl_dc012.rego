# METADATA
# title: "Secret in environment"
# description: "A variable named like a secret (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS) has a literal value in the Compose file: it is in version control and in 'docker inspect'. '${VAR}' values, empty values and *_FILE variables pass."
# scope: package
# related_resources:
#   - https://docs.docker.com/compose/how-tos/use-secrets/
# custom:
#   id: TRL-DC-0012
#   severity: HIGH
#   recommended_actions: "Use Compose 'secrets' (and the image's *_FILE variables), or interpolate the value from the environment or an .env file kept out of version control."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC012

import data.lib.compose

secret_name(n) if regex.match(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)`, n)

# Names of settings about a secret rather than a secret.
not_secret(n) if regex.match(`(?i)_(FILE|PATH|DIR|TTL|EXPIRY|EXPIRES|EXPIRATION|LENGTH|SIZE|TIMEOUT|ENABLED|URL|HEADER|NAME|TYPE)$`, n)

literal(v) if is_number(v)

literal(v) if {
	is_string(v)
	v != ""
	not compose.interpolated(v)
}

deny contains res if {
	some name, svc in compose.services
	some env in compose.environment(svc)
	secret_name(env.name)
	not not_secret(env.name)
	literal(env.value)
	res := result.new(sprintf("%s sets %s to a literal value in its environment", [compose.describe(name), env.name]), env.cause)
}
