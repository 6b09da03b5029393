// Golden-vector tool for Tessel's unicode_loose vindexes (not part of the build).
// Mode "keys": reads hex-encoded inputs, one per line, and prints
// "<input hex> <key hex> <md5 hex> <xxhash LE hex>" as Vitess's unicode_loose_* compute them,
// or "<input hex> invalid" for invalid UTF-8.
// Mode "blocks": prints, for each block of 4096 code points, the MD5 over all single-code-point
// keys of the block (each key preceded by its length byte), skipping surrogates and skipRanges.
package main

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"unicode/utf8"

	"github.com/cespare/xxhash"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Ideographs added after Unicode 13 (Go 1.19's unicode tables); Vitess's Go (Unicode 15) weighs them differently.
var skipRanges = [][2]rune{{0x9FFD, 0x9FFF}, {0x2A6DE, 0x2A6DF}, {0x2B735, 0x2B739}, {0x31350, 0x323AF}}

func main() {
	col := collate.New(language.English, collate.Loose)
	buf := &collate.Buffer{}
	key := func(in []byte) []byte {
		buf.Reset()
		return col.Key(buf, bytes.TrimRight(in, " "))
	}
	if len(os.Args) > 1 && os.Args[1] == "blocks" {
		for b := rune(0); b < 0x110000; b += 4096 {
			h := md5.New()
			for r := b; r < b+4096; r++ {
				if (r >= 0xD800 && r <= 0xDFFF) || skipped(r) {
					continue
				}
				k := key([]byte(string(r)))
				h.Write([]byte{byte(len(k))})
				h.Write(k)
			}
			fmt.Printf("%06x %x\n", b, h.Sum(nil))
		}
		return
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		in, err := hex.DecodeString(sc.Text())
		if err != nil {
			panic(err)
		}
		if !utf8.Valid(in) {
			fmt.Printf("%x invalid\n", in)
			continue
		}
		k := key(in)
		m := md5.Sum(k)
		var x [8]byte
		binary.LittleEndian.PutUint64(x[:], xxhash.Sum64(k))
		fmt.Printf("%x %x %x %x\n", in, k, m, x)
	}
}

func skipped(r rune) bool {
	for _, s := range skipRanges {
		if r >= s[0] && r <= s[1] {
			return true
		}
	}
	return false
}
