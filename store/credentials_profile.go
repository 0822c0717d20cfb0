package store

import (
	"context"
	"fmt"
)

// SetCredentialProfile records under which profile a credential is
// renewed and revoked: an import's, which the store parses without one.
func (s *Store) SetCredentialProfile(ctx context.Context, id, profile string) error {
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	err = withRetry(ctx, func() error {
		_, err := s.db.ExecContext(ctx, "UPDATE credentials SET profile = ? WHERE id = ?", profileOr(profile), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("record the profile of credential %s in %s: %w", id, s.paths.db, err)
	}
	return nil
}
