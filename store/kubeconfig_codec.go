package store

import (
	"bytes"
	"encoding/json"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/versioning"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	clientcmdlatest "k8s.io/client-go/tools/clientcmd/api/latest"
)

// kubeJSONCodec is clientcmd's codec (clientcmdlatest.Codec: the same
// scheme, versions, conversion and defaulting) with its JSON serializer
// instead of the YAML one. The YAML serializer is the JSON one after
// sigs.k8s.io/yaml's YAML↔JSON conversion, which goes through go-yaml v2
// and is most of clientcmd's time on a large file; ccecert does that
// conversion itself (scanYAML, emitYAML), exactly where it can.
var kubeJSONCodec = func() runtime.Codec {
	s := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, clientcmdlatest.Scheme, clientcmdlatest.Scheme, kjson.SerializerOptions{})
	return versioning.NewDefaultingCodecForScheme(clientcmdlatest.Scheme, s, s,
		schema.GroupVersion{Version: clientcmdlatest.Version}, runtime.InternalGroupVersioner)
}()

// decodeKubeconfigJSON is clientcmd.Load for a JSON document.
func decodeKubeconfigJSON(js []byte) (*clientcmdapi.Config, error) {
	cfg := clientcmdapi.NewConfig()
	decoded, _, err := kubeJSONCodec.Decode(js, &schema.GroupVersionKind{Version: clientcmdlatest.Version, Kind: "Config"}, cfg)
	if err != nil {
		return nil, err
	}
	return decoded.(*clientcmdapi.Config), nil
}

// encodeKubeconfig is clientcmd.Write: the same bytes, through emitYAML
// when it can write them, else through clientcmd.Write itself.
func encodeKubeconfig(cfg *clientcmdapi.Config) ([]byte, error) {
	c := *cfg // as clientcmd.Write, which takes the Config by value
	if js, err := runtime.Encode(kubeJSONCodec, &c); err == nil {
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber() // a number is left to clientcmd.Write
		var doc map[string]any
		if dec.Decode(&doc) == nil {
			if out, ok := emitYAML(doc); ok {
				return out, nil
			}
		}
	}
	return clientcmd.Write(*cfg)
}
