package engine

import "context"

// ExecCredential is Exec's JSON, for the tests that read no warnings (the
// CLI prints Exec's warnings too, so the product calls Exec).
func (e *Engine) ExecCredential(ctx context.Context, ref string) ([]byte, error) {
	r, err := e.Exec(ctx, ref)
	return r.JSON, err
}
