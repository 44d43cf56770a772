// The storage interface is header-only; this file gives the library a translation unit.
#include "storage/store.h"
