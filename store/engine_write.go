package store

import "context"

// WriteCredential merges a stored credential into the engine's kubeconfig
// (inline), as an import does; the target's earlier credential there is
// superseded.
func (e *Engine) WriteCredential(ctx context.Context, c Credential) ([]string, error) {
	return e.write(ctx, c, e.Kubeconfig, ModeInline, false)
}
