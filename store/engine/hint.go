package engine

import (
	"errors"

	"ccecert/store"
)

// Hint names what the user can do about an engine error, in no front
// end's words: the CLI says it with its flags, the TUI with its keys and
// dialogs. The error's own text reads whole without it.
type Hint string

// The hints an engine error can carry (in a HintError).
const (
	// HintUseInternalContext: the cluster has no EIP, so no external
	// context; fetch its internal context only, or bind an EIP to it.
	HintUseInternalContext Hint = "use-internal-context"
	// HintCreateFleetConnection: the fleet has no federation connection
	// yet, or only half of a new one was given; name both a VPC and a
	// subnet, which creates it.
	HintCreateFleetConnection Hint = "create-fleet-connection"
	// HintRefreshTargets: no target the key can reach has that name or
	// id; list the targets afresh from the cloud and pick one of them.
	HintRefreshTargets Hint = "refresh-targets"
	// HintNameTheRegion: the name is shared by targets in several regions
	// (AmbiguousTargetError lists them); say the region of the one meant.
	HintNameTheRegion Hint = "name-the-region"
	// HintRefreshThenImport: the credential is tied to no known cluster;
	// list the targets afresh, then import its kubeconfig again.
	HintRefreshThenImport Hint = "refresh-then-import"
	// HintChooseKubeconfig: the kubeconfig path cannot be written as it
	// is (store.ErrNotWritable); write to another kubeconfig.
	HintChooseKubeconfig Hint = "choose-kubeconfig"
	// HintSwitchProfile: the credential belongs to another profile
	// (ProfileError names it); work with that profile instead.
	HintSwitchProfile Hint = "switch-profile"
)

// HintError is an engine error with what the user can do about it; find
// it with errors.As. It reads and unwraps as Err.
type HintError struct {
	Hint Hint
	Err  error
}

func (e *HintError) Error() string { return e.Err.Error() }
func (e *HintError) Unwrap() error { return e.Err }

// kubeconfigHint gives a kubeconfig check's error the hint to write
// elsewhere when the path cannot be written.
func kubeconfigHint(err error) error {
	if errors.Is(err, store.ErrNotWritable) {
		return &HintError{Hint: HintChooseKubeconfig, Err: err}
	}
	return err
}

// restated replaces a cloud error's text with what it means here, keeping
// the cloud error for errors.As.
type restated struct {
	msg string
	err error
}

func (e *restated) Error() string { return e.msg }
func (e *restated) Unwrap() error { return e.err }
