package elffixture

import (
	"bytes"
	"debug/elf"
	"testing"
)

func TestMake(t *testing.T) {
	data := []byte("payload")
	b := Make(".note.test", data, 4096)
	if len(b) != 4096 {
		t.Errorf("len = %d, want 4096 (padded)", len(b))
	}
	f, err := elf.NewFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Type != elf.ET_EXEC || f.Machine != elf.EM_X86_64 {
		t.Errorf("header = %v %v %v %v", f.Class, f.Data, f.Type, f.Machine)
	}
	s := f.Section(".note.test")
	if s == nil {
		t.Fatal("no .note.test section")
	}
	got, err := s.Data()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("section data = %q, %v; want %q", got, err, data)
	}
	if len(f.Progs) != 1 || f.Progs[0].Type != elf.PT_LOAD || f.Progs[0].Vaddr != s.Addr {
		t.Errorf("program headers = %+v", f.Progs)
	}
	if small := Make(".data", data, 0); len(small) >= 4096 || len(small) < 128+len(data) {
		t.Errorf("unpadded len = %d", len(small))
	}
}
