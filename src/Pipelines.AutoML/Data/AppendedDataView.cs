namespace Pipelines.AutoML.Data;

/// <summary>
/// The rows of one data view followed by the rows of another with the same schema (ML.NET keeps its own
/// row-appending view internal). Used to refit the best configuration on training plus validation data.
/// </summary>
internal sealed class AppendedDataView : IDataView
{
    readonly IDataView _first, _second;

    public AppendedDataView(IDataView first, IDataView second)
    {
        var a = first.Schema;
        var b = second.Schema;
        for (int i = 0; i < a.Count; i++)
        {
            var other = b.GetColumnOrNull(a[i].Name);
            if (other == null || !other.Value.Type.Equals(a[i].Type))
                throw new ArgumentException($"Cannot append: column '{a[i].Name}' ({a[i].Type}) is {(other == null ? "missing" : $"{other.Value.Type}")} in the second data set.");
        }
        (_first, _second) = (first, second);
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema => _first.Schema;

    public long? GetRowCount() => _first.GetRowCount() is { } a && _second.GetRowCount() is { } b ? a + b : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.ToList());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    sealed class Cursor : DataViewRowCursor
    {
        readonly AppendedDataView _parent;
        readonly DataViewRowCursor _a, _b;
        bool _onSecond;
        long _position = -1;

        public Cursor(AppendedDataView parent, List<DataViewSchema.Column> columns)
        {
            _parent = parent;
            _a = parent._first.GetRowCursor(columns);
            _b = parent._second.GetRowCursor(columns.Select(c => parent._second.Schema[c.Name]));
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (!_onSecond)
            {
                if (_a.MoveNext()) { _position++; return true; }
                _onSecond = true;
            }
            if (_b.MoveNext()) { _position++; return true; }
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _a.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var first = _a.GetGetter<TValue>(column);
            var second = _b.GetGetter<TValue>(_parent._second.Schema[column.Name]);
            return (ref TValue value) =>
            {
                if (_onSecond) second(ref value);
                else first(ref value);
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _a.Dispose();
                _b.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
