/*
 * db_vfs.h - the SQLite VFS the load's database is created with: its page
 * writes are done by a thread of their own (see db_vfs.c).
 */
#ifndef WT_DB_VFS_H
#define WT_DB_VFS_H

/* The VFS's name for sqlite3_open_v2(): registered (not as the default) on
 * the first call, over the default VFS.  NULL if that failed: open with
 * the default VFS then.  Thread-safe. */
const char *wt_db_vfs_name(void);

#endif /* WT_DB_VFS_H */
