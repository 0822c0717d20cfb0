package store

import "database/sql"

// listingBatch is how many scanned rows the reader hands the decoder at
// a time: enough that the hand-over costs nothing, few enough that the
// decoder starts at once.
const listingBatch = 256

// readListing reads every row of a listing, appended to out. This
// goroutine steps SQLite and scans the columns while another decodes the
// rows scanned before (JSON, times): at thousands of rows both take tens
// of milliseconds, and on two cores they overlap.
func readListing(rows *sql.Rows, d *rowDecoder, out []Credential) ([]Credential, error) {
	batches := make(chan []scannedRow, 4)
	free := make(chan []scannedRow, 4) // batches decoded, to fill again
	decoded := make(chan []Credential)
	go func() {
		for batch := range batches {
			for i := range batch {
				out = append(out, finishListed(d, &batch[i]))
			}
			select {
			case free <- batch[:0]:
			default:
			}
		}
		decoded <- out
	}()
	next := func() []scannedRow {
		select {
		case b := <-free:
			return b
		default:
			return make([]scannedRow, 0, listingBatch)
		}
	}
	r := newRowReader()
	batch := next()
	var err error
	for rows.Next() {
		var w scannedRow
		if w, err = scanListed(rows, r); err != nil {
			break
		}
		if batch = append(batch, w); len(batch) == listingBatch {
			batches <- batch
			batch = next()
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	out = <-decoded
	if err == nil {
		err = rows.Err()
	}
	return out, err
}
