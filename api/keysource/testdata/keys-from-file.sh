#!/bin/sh
# A credential process (README "Credential sources"): prints the keys kept
# in a 0600 file of two lines, AK then SK, as the process JSON. The file is
# named by KEYS_FILE; nothing is echoed to stderr.
set -eu
{ read -r ak; read -r sk; } < "$KEYS_FILE"
printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}\n' "$ak" "$sk"
