"""Background tasks of the registry app."""

from django_tasks import task

from .services import search_index_merge


@task()
def search_index_merge_task() -> int:
    """Merge the name-search index's pending list after a bulk write (`search_index_merge`)."""
    return search_index_merge()
