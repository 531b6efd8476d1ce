#ifndef MOTCUA_CPOSTGRES_SHIM_H
#define MOTCUA_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
