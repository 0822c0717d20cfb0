package emulator

import (
	"net/http"
	"time"
)

// TempKeysHandler is an EMULATOR-ONLY endpoint, no API of the real cloud:
// POST mints temporary keys of this account (MintTempKeys) valid for
// lifetime and answers them in the credential-process JSON ccecert's
// `process` source reads (README "Credential sources"):
//
//	{"Version":1,"AccessKeyId":"…","SecretAccessKey":"…","SessionToken":"…","Expiration":"2026-…Z"}
//
// so `curl -s -X POST --cacert CA URL` is a credential process. The server
// does not mount it: a test or demo serves it on a loopback listener of its
// own. It holds secrets in its answers; never serve it beyond loopback.
func (s *Server) TempKeysHandler(lifetime time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeGatewayError(w, http.StatusMethodNotAllowed, codeNoAPI, msgNoAPI)
			return
		}
		k := s.MintTempKeys(lifetime)
		writeJSON(w, http.StatusOK, map[string]any{
			"Version": 1, "AccessKeyId": k.AK, "SecretAccessKey": k.SK,
			"SessionToken": k.SecurityToken, "Expiration": k.Expires.UTC().Format(time.RFC3339),
		})
	})
}
