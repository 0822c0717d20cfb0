package store

import (
	"context"
	"fmt"
)

// SetCredentialProfile records under which profile a credential is
// renewed and revoked: an import's, which the store parses without one.
func (s *Store) SetCredentialProfile(ctx context.Context, id, profile string) error {
	s.writeMu.Lock() // see inTx
	defer s.writeMu.Unlock()
	err := withRetry(ctx, func() error {
		_, err := s.db.ExecContext(ctx, "UPDATE credentials SET profile = ? WHERE id = ?", profileOr(profile), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("record the profile of credential %s in %s: %w", id, s.paths.db, err)
	}
	return nil
}
