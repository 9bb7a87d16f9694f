#!/usr/bin/env bash
# Runs trawl with the inputs of the GitHub Action (action.yml), passed as
# INPUT_* environment variables, so that the same script is tested outside
# GitHub (internal/cli action test) and used by the action. TRAWL is the
# binary to run (default: trawl on PATH).
set -euo pipefail

trawl=${TRAWL:-trawl}
scan_type=${INPUT_SCAN_TYPE:-image}
args=()

case "$scan_type" in
  image)
    if [ -n "${INPUT_INPUT:-}" ]; then
      args+=(image --input "$INPUT_INPUT")
    elif [ -n "${INPUT_IMAGE_REF:-}" ]; then
      args+=(image "$INPUT_IMAGE_REF")
    else
      echo "trawl action: scan-type image needs image-ref or input" >&2
      exit 2
    fi
    ;;
  fs | rootfs | config | sbom)
    args+=("$scan_type" "${INPUT_SCAN_REF:-.}")
    ;;
  *)
    echo "trawl action: scan-type '$scan_type' is not one of image, fs, rootfs, config, sbom" >&2
    exit 2
    ;;
esac

add() { # flag value: pass the flag when the input is set
  if [ -n "$2" ]; then args+=("$1" "$2"); fi
}
add --format "${INPUT_FORMAT:-table}"
add --output "${INPUT_OUTPUT:-}"
add --exit-code "${INPUT_EXIT_CODE:-}"
add --severity "${INPUT_SEVERITY:-}"
add --scanners "${INPUT_SCANNERS:-}"
add --pkg-types "${INPUT_PKG_TYPES:-${INPUT_VULN_TYPE:-}}"
add --cache-dir "${INPUT_CACHE_DIR:-}"
add --template "${INPUT_TEMPLATE:-}"
add --baseline "${INPUT_BASELINE:-}"
add --compliance "${INPUT_COMPLIANCE:-}"
add --timeout "${INPUT_TIMEOUT:-}"
if [ "${INPUT_IGNORE_UNFIXED:-false}" = "true" ]; then args+=(--ignore-unfixed); fi
if [ "${INPUT_QUIET:-false}" = "true" ]; then args+=(--quiet); fi
if [ "${INPUT_SKIP_DB_UPDATE:-false}" = "true" ]; then args+=(--skip-db-update); fi
add --db-path "${INPUT_DB_PATH:-}"

# trawlignores: comma-separated ignore files (Trivy's trivyignores). One
# file is passed as it is (plain or YAML); several must be plain
# .trivyignore files and are merged.
if [ -n "${INPUT_TRAWLIGNORES:-}" ]; then
  IFS=',' read -ra files <<< "$INPUT_TRAWLIGNORES"
  if [ "${#files[@]}" -eq 1 ]; then
    args+=(--ignorefile "$(echo "${files[0]}" | xargs)")
  else
    merged=$(mktemp "${RUNNER_TEMP:-/tmp}/trawlignore.XXXXXX")
    for f in "${files[@]}"; do
      f=$(echo "$f" | xargs)
      case "$f" in
        *.yaml | *.yml) echo "trawl action: $f: several ignore files can only be merged in the plain format" >&2; exit 2 ;;
      esac
      [ -f "$f" ] || { echo "trawl action: ignore file $f not found" >&2; exit 2; }
      cat "$f" >> "$merged"
      echo >> "$merged"
    done
    args+=(--ignorefile "$merged")
  fi
fi

echo "trawl ${args[*]}" >&2
exec "$trawl" "${args[@]}"
