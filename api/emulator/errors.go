package emulator

import (
	"encoding/json"
	"net/http"
)

// msgNoAPI is the gateway's message for APIGW.0101 (API signing guide,
// error codes, https://support.huaweicloud.com/devg-apisign/api-sign-errorcode.html).
const msgNoAPI = "The API does not exist or has not been published in the environment"

// Error codes the emulator answers with, in the cloud's own formats.
const (
	codeNoAPI        = "APIGW.0101" // unknown route (404), see msgNoAPI
	codeBadAuth      = "APIGW.0301" // bad or missing signature, unknown AK
	codeForbidden    = "APIGW.0302" // the key may not use this project
	codeThrottled    = "APIGW.0308" // too many requests
	codeBadRequest   = "CCE.01400001"
	codeHibernating  = "CCE.01400013"
	codeNotFound     = "CCE.01404001"
	codeInternal     = "CCE.01500001"
	codeUCSBad       = "UCS.00000400"
	codeUCSNotFound  = "UCS.00000404"
	codeUCSNoFed     = "UCS.00120012"
	codeUCSNoConnect = "UCS.00120013"
	codeVPCNotFound  = "VPC.0202"
)

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error_code":"`+codeInternal+`","error_msg":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeGatewayError answers in the API gateway's (and IAM's, UCS's, VPC's)
// format: error_code, error_msg, request_id.
func writeGatewayError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{
		"error_code": code,
		"error_msg":  msg,
		"request_id": w.Header().Get("X-Request-Id"),
	})
}

// cceError is CCE's error body: a Kubernetes Status carrying both the
// errorCode/errorMessage and the error_code/error_msg forms.
type cceError struct {
	Kind         string   `json:"kind"`
	APIVersion   string   `json:"apiVersion"`
	Metadata     struct{} `json:"metadata"`
	Status       string   `json:"status"`
	Message      string   `json:"message"`
	Reason       string   `json:"reason"`
	Code         int      `json:"code"`
	ErrorCode    string   `json:"errorCode"`
	ErrorMessage string   `json:"errorMessage"`
	ErrorCode2   string   `json:"error_code"`
	ErrorMsg     string   `json:"error_msg"`
}

// writeCCEError answers in CCE's format.
func writeCCEError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, cceError{
		Kind: "Status", APIVersion: "v1", Status: "Failure",
		Message: msg, Reason: http.StatusText(status), Code: status,
		ErrorCode: code, ErrorMessage: msg, ErrorCode2: code, ErrorMsg: msg,
	})
}
