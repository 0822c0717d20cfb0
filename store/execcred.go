package store

import (
	"encoding/json"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clientauthv1 "k8s.io/client-go/pkg/apis/clientauthentication/v1"

	"ccecert/api"
)

// ExecCredential is what `ccecert credential <id>` prints for kubectl: a
// client.authentication.k8s.io/v1 ExecCredential with the PEM certificate
// and key and expirationTimestamp = notAfter (RFC 3339), so kubectl asks
// again when it expires.
func ExecCredential(certPEM []byte, key api.Secret, notAfter time.Time) ([]byte, error) {
	info, err := ParseCert(certPEM)
	if err != nil {
		return nil, fmt.Errorf("exec credential: %w", err)
	}
	if err := KeyMatches(info.PEM, key.Reveal()); err != nil {
		return nil, fmt.Errorf("exec credential: %w", err)
	}
	exp := metav1.NewTime(notAfter.UTC().Truncate(time.Second))
	ec := clientauthv1.ExecCredential{
		TypeMeta: metav1.TypeMeta{Kind: "ExecCredential", APIVersion: ExecAPIVersion},
		Status: &clientauthv1.ExecCredentialStatus{
			ExpirationTimestamp:   &exp,
			ClientCertificateData: string(info.PEM),
			ClientKeyData:         string(pemOrBase64(key.Reveal())),
		},
	}
	out, err := json.Marshal(ec)
	if err != nil {
		return nil, fmt.Errorf("exec credential: %w", err)
	}
	return append(out, '\n'), nil
}
