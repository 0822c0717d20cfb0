package ui

import "context"

// New is the model over b with a background context: tests drive it
// directly (Run builds it with NewContext).
func New(b Backend, o Options) Model {
	return NewContext(context.Background(), b, o)
}
