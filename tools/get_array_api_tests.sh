#!/usr/bin/env bash
# Fetch the official array-API test suite (data-apis/array-api-tests) and the spec
# repository it reads signatures from (data-apis/array-api, its `array-api` submodule),
# both at pinned commits, into DEST (default: .array-api-tests). Needs git and GitHub;
# an existing checkout at the pinned commits is reused, so an offline machine can be
# given one beforehand (copy a checkout to DEST, or point ARRAY_API_TESTS_DIR at it);
# ARRAY_API_TESTS_URL and ARRAY_API_SPEC_URL name mirrors of the two repositories.
#
#   bash tools/get_array_api_tests.sh [DEST]
set -euo pipefail

DEST="${1:-.array-api-tests}"
TESTS_URL="${ARRAY_API_TESTS_URL:-https://github.com/data-apis/array-api-tests}"
TESTS_COMMIT="55fcc60179efa2680ddd6cd926ddf17b83530e2b"  # master of 2026-04-03
SPEC_URL="${ARRAY_API_SPEC_URL:-https://github.com/data-apis/array-api}"
SPEC_COMMIT="5f847a3858875c682ae901aa22b0413bf24be9da"  # the suite's submodule pin

at_commit() {
    [ -d "$1/.git" ] && [ "$(git -C "$1" rev-parse HEAD 2>/dev/null)" = "$2" ]
}

fetch() {
    local url="$1" commit="$2" dir="$3"
    if at_commit "$dir" "$commit"; then
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    git -C "$dir" init --quiet
    git -C "$dir" fetch --quiet --depth 1 "$url" "$commit"
    git -C "$dir" checkout --quiet FETCH_HEAD
}

fetch "$TESTS_URL" "$TESTS_COMMIT" "$DEST"
fetch "$SPEC_URL" "$SPEC_COMMIT" "$DEST/array-api"
echo "array-api-tests ${TESTS_COMMIT:0:12} (spec ${SPEC_COMMIT:0:12}) in $DEST"
