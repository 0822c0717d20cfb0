package store

import (
	"context"
	"database/sql"
)

// migrate0004 makes sure every stored certificate's facts are in their
// columns (subject, serial, fingerprint, issuer, not before, not after):
// listings (status, the TUI) read those and never parse the PEM. Each
// stored certificate is parsed once, here; a row whose columns disagree
// with its X.509, or lack what it says, gets the X.509's. A row that does
// not read, or whose certificate does not parse, is left as it is (a
// listing reports it).
func migrate0004(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, cert_pem, subject, serial, fingerprint, issuer, not_before, not_after
		FROM credentials WHERE token_only = 0 AND length(cert_pem) > 0`)
	if err != nil {
		return err
	}
	type facts struct {
		id                                   string
		subject, serial, fingerprint, issuer string
		notBefore, notAfter                  int64
	}
	var stale []facts
	for rows.Next() {
		var f facts
		var pem []byte
		if err := rows.Scan(&f.id, &pem, &f.subject, &f.serial, &f.fingerprint, &f.issuer, &f.notBefore, &f.notAfter); err != nil {
			continue // a damaged row: listings report it, this leaves it
		}
		info, err := ParseCert(pem)
		if err != nil {
			continue
		}
		want := facts{f.id, info.Subject, info.Serial, info.FingerprintSHA256, info.Issuer, unixNano(info.NotBefore), unixNano(info.NotAfter)}
		if want != f {
			stale = append(stale, want)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range stale {
		if _, err := tx.ExecContext(ctx, `UPDATE credentials SET subject=?, serial=?, fingerprint=?, issuer=?, not_before=?, not_after=?
			WHERE id=?`, f.subject, f.serial, f.fingerprint, f.issuer, f.notBefore, f.notAfter, f.id); err != nil {
			return err
		}
	}
	return nil
}
