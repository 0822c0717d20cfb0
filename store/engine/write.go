package engine

import (
	"context"

	"ccecert/store"
)

// WriteCredential merges a stored credential into the engine's kubeconfig
// (inline), as an import does; the target's earlier credential there is
// superseded.
func (e *Engine) WriteCredential(ctx context.Context, c store.Credential) ([]string, error) {
	names, _, err := e.write(ctx, c, e.Kubeconfig, store.ModeInline, false)
	return names, err
}
